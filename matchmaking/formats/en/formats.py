"""English dates as the partnership writes them (1 March 2027), not Django's American
"March 1, 2027". Every other language of settings.LANGUAGES keeps Django's own formats
(Spanish "1 de marzo de 2027"); templates name the format (``date:"DATE_FORMAT"``), never
a pattern of their own."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j M"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1
