"""The admin's pages, one module per part of the menu."""
