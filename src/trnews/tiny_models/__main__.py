from trnews.tiny_models.cli import main

raise SystemExit(main())
