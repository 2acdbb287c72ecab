# The Regional Skills Partnership's models (membership applications, promoters, events,
# indicators) arrive with the partnership issue; the app is installed now so that its
# URLs and templates have their place in the site.
