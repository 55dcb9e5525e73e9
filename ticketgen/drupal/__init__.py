"""What Drupal itself accepts, read from Drupal's source (core plugin attributes, a few contrib modules):
field types and widgets, machine-name rules, config object names, admin paths and modules. Pure data and
lookups; when a plugin is not in the data the answer is "don't know", never "wrong"."""
