"""What a student sees: interface strings, the chart theme, charts, HTML panels and widgets."""
