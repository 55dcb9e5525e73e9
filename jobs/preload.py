"""Imported by the forkserver that forks every isolated check (`jobs/isolated.py`): the static data each
check reads (Drupal's field plugin catalog, the English word list the spelling review uses, about 0.2 s
to load) is loaded there once, so each upload's child starts with it instead of loading it again."""

from ticketgen.drupal.plugins import field_type_by_id
from ticketgen.review.editor_text import english_words

field_type_by_id("string")
english_words()
