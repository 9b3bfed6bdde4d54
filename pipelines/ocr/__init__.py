"""Reading scanned reports: Tesseract on straightened pages, tables cell by cell."""
