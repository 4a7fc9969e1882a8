"""Files of a matter: uploaded attachments and the official documents issued as PDFs."""
