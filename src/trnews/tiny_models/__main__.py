from trnews.tiny_models import main

raise SystemExit(main())
