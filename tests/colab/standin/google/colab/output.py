"""Stand-in for ``google.colab.output``: the custom widget manager switch and its state."""

custom_widget_manager = False


def enable_custom_widget_manager() -> None:
    """Turn the custom widget manager on (in Colab it lets the page render ipywidgets 8)."""
    global custom_widget_manager
    custom_widget_manager = True


def disable_custom_widget_manager() -> None:
    """Turn the custom widget manager off."""
    global custom_widget_manager
    custom_widget_manager = False
