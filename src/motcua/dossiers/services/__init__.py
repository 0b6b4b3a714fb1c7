"""Write use cases of the dossier: intake, lifecycle actions and uploads, one typed function each."""
