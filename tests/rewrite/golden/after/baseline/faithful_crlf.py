"""CRLF endings, tabs, trailing whitespace, user comments, continuation lines: all kept byte for byte."""
from torch import nn

width = (
    16  # a parenthesised expression
)
# paramlint: budget=500
encoder = nn.Sequential(   
	nn.Linear(8, width),	# the user's own note
	nn.ReLU(),  # [paramlint] 999 params
	nn.Linear(width,
	          width),  
	nn.Linear(width, 2, bias=\
	          False),
)
x = 1  # [paramlint] 5 params
