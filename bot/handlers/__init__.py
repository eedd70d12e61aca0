"""Update handlers: one module per kind of update."""
