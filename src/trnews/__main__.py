from trnews.cli import main

main()
