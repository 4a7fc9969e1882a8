"""Core's web layer: layout, navigation, errors, security hooks and the admin pages."""
