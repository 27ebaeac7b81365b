"""What every request shares: database and write transactions, caching, security headers, errors, templates, links."""
