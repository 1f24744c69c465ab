"""A stand-in for Google Colab's ``google.colab``, for ``make test-colab`` (tests/colab/).

The real package (googlecolab/colabtools) only installs inside Colab. What a lesson meets of
it is what happens when Colab's kernel starts: ``google.colab`` is imported, and since
colabtools of March 2026 that imports ipywidgets (through anywidget), so the ipywidgets Colab
ships (7.7.1) is loaded before the first cell runs. This module does the same, and offers
``google.colab.output.enable_custom_widget_manager`` as Colab does.
"""

import ipywidgets  # noqa: F401 - loaded at kernel start, as on Colab
from google.colab import output

__all__ = ["output"]
