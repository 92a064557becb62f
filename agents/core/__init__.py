"""The shared vocabulary every layer may import: configuration and budgets, errors and exit
codes, line counting and source decoding, and the rules of which files a command looks at.

The core imports nothing else of modularize (``templates`` excepted, which is data).
"""
