"""The dataset site: static HTML people open first (`reports/site/`).

`load_inputs(...)` reads the pipeline's outputs, `build_site(inputs, out_dir)` renders them.
"""

from memwall.site.inputs import SiteInputs, load_inputs
from memwall.site.render import build_site

__all__ = ["SiteInputs", "build_site", "load_inputs"]
