"""CRLF endings, tabs, trailing whitespace, user comments, continuation lines: all kept byte for byte."""
from torch import nn

width = (
    16  # a parenthesised expression
)
encoder = nn.Sequential(     # [paramlint] total 448 params (all trainable)
	nn.Linear(8, width),	# the user's own note  # [paramlint] 144 params
	nn.ReLU(),  # [paramlint] 0 params
	nn.Linear(width,  # [paramlint] 272 params
	          width),  
	nn.Linear(width, 2, bias=\
	          False),
)
x = 1
