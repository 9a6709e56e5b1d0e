"""Files made from the notebooks: offline HTML hand-outs and instructor copies with solutions."""
