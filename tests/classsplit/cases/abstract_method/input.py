from abc import ABC, abstractmethod


class Big(ABC):
    """The big class."""

    @abstractmethod
    def area(self): ...

    def fmt_0(self, value):
        """Format ``value`` the 0 way."""
        text = str(value)
        return text + "-0"

    def fmt_1(self, value):
        """Format ``value`` the 1 way."""
        text = str(value)
        return text + "-1"

    def fmt_2(self, value):
        """Format ``value`` the 2 way."""
        text = str(value)
        return text + "-2"

    def fmt_3(self, value):
        """Format ``value`` the 3 way."""
        text = str(value)
        return text + "-3"

    def fmt_4(self, value):
        """Format ``value`` the 4 way."""
        text = str(value)
        return text + "-4"

    def fmt_5(self, value):
        """Format ``value`` the 5 way."""
        text = str(value)
        return text + "-5"

    def fmt_6(self, value):
        """Format ``value`` the 6 way."""
        text = str(value)
        return text + "-6"

    def fmt_7(self, value):
        """Format ``value`` the 7 way."""
        text = str(value)
        return text + "-7"

    def fmt_8(self, value):
        """Format ``value`` the 8 way."""
        text = str(value)
        return text + "-8"

    def fmt_9(self, value):
        """Format ``value`` the 9 way."""
        text = str(value)
        return text + "-9"
