"""motcua: the one-stop platform for Vietnamese administrative procedures."""
