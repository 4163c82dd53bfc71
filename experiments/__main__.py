import os
import sys

# The experiments' products are small: one BLAS thread per run is as fast, and two threads on a
# shared 2-core machine wait for each other. Set before numpy is imported (the runner imports it).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from experiments.runner import main  # noqa: E402

sys.exit(main())
