"""The escalation chain, pure: the spec of the step kinds, their terms, the interventieteam gate, validation and
the advice a case page shows.

No Flask, no database: callers pass ``today`` (from ``thuiszitters.clock``) and plain data. Modules, from the
bottom up: ``spec`` (the step kinds and vocabularies), ``terms`` (deadlines and ages), ``gate`` (when a step is
done, the chain's order, the interventieteam gate), ``validation`` (what makes a step or case unacceptable) and
``advice`` (warnings and the next action).
"""
