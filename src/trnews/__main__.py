from trnews.cli import app

app(prog_name="trnews")
