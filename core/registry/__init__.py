"""Module registry: manifests, discovery, dependency order and install state."""
