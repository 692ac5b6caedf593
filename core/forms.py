"""What the public site's forms share."""

from django.forms.renderers import Jinja2

#: The renderer of the forms readers fill in (search, comments, reports): their widgets are
#: written by Jinja2, as the pages around them are (website/templating.py). Through Django's
#: template language the search page's one text input took 0.2 ms, 7 % of the page. One
#: instance for every form: each instance makes an environment and compiles the widgets anew.
#: The admin's forms keep Django's default renderer and its templates.
public_form_renderer = Jinja2()
