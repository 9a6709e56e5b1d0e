"""The pages: what they are made of, the causes and advice they give, how they compare, and bringing your own."""
