"""Reference data: samenwerkingsverbanden, gemeenten and schools."""
