#!/usr/bin/env python3
"""Reference values for harness/stats, computed once with SciPy (and statsmodels for Holm and
Bonferroni) and committed as stats-references.json. Run: /usr/bin/python3 make-stats-vectors.py
(Debian: python3-scipy, python3-statsmodels). Inputs are generated from fixed seeds and written
into the JSON, so the TypeScript tests read the very same samples."""
import json
import platform
import numpy as np
import scipy
import scipy.stats as st
from scipy.optimize import brentq
import statsmodels
from statsmodels.stats.multitest import multipletests

rng = np.random.default_rng(20261123)
out = {"generator": {"python": platform.python_version(), "scipy": scipy.__version__, "numpy": np.__version__, "statsmodels": statsmodels.__version__}}

# Student t two-sided tail, chi-square tail, quantiles.
out["t_two_sided"] = [{"t": t, "df": df, "p": float(2 * st.t.sf(abs(t), df))}
                      for t, df in [(0.0, 5), (0.5, 3), (-1.7, 12.5), (2.2, 30), (4.5, 100), (8.0, 7), (12.0, 49.3), (-25.0, 200)]]
out["chi2_sf"] = [{"x": x, "df": df, "p": float(st.chi2.sf(x, df))}
                  for x, df in [(0.5, 1), (3.84, 1), (10.0, 5), (300.0, 255), (400.0, 255), (80.0, 15), (127.3, 63), (60.0, 9), (1100.0, 1023)]]
out["t_quantile"] = [{"q": q, "df": df, "x": float(st.t.ppf(q, df))} for q, df in [(0.975, 10), (0.9, 58), (1 - 5e-7, 98), (0.95, 3)]]
out["normal_quantile"] = [{"q": q, "x": float(st.norm.ppf(q))} for q in [0.5, 0.9, 0.975, 1 - 1e-6, 1e-4]]
out["kolmogorov_quantile"] = [{"q": q, "x": float(st.kstwobign.ppf(q))} for q in [0.5, 0.95, 0.99, 1 - 1e-3, 1 - 1e-6]]

# Welch t-test (scipy 1.10 reports no df: the Welch–Satterthwaite formula is evaluated here with numpy).
def welch_case(a, b):
    r = st.ttest_ind(a, b, equal_var=False)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return {"a": [float(x) for x in a], "b": [float(x) for x in b], "t": float(r.statistic), "df": float(df), "p": float(r.pvalue)}

out["welch"] = [
    welch_case(np.round(rng.normal(0, 1, 20), 4), np.round(rng.normal(0.3, 2, 35), 4)),
    welch_case(np.round(rng.normal(5, 1, 8), 4), np.round(rng.normal(7, 1, 9), 4)),
    welch_case(rng.integers(0, 256, 200).astype(float), rng.integers(0, 256, 200).astype(float)),
    welch_case(np.round(rng.normal(1e6, 1e-3, 30), 9), np.round(rng.normal(1e6 + 2e-3, 1e-3, 30), 9)),
]

# Chi-square goodness of fit: uniform bins, given probabilities, bytes, values mod p.
obs = rng.multinomial(600, [0.1, 0.2, 0.3, 0.4])
out["chi2_gof"] = [
    {"observed": [int(x) for x in rng.multinomial(1000, [1 / 8] * 8)], "probabilities": None},
    {"observed": [int(x) for x in obs], "probabilities": [0.1, 0.2, 0.3, 0.4]},
    {"observed": [int(x) for x in obs], "probabilities": [0.25] * 4},
]
for case in out["chi2_gof"]:
    f = np.array(case["observed"], dtype=float)
    exp = None if case["probabilities"] is None else np.array(case["probabilities"]) * f.sum()
    r = st.chisquare(f, exp)
    case["statistic"], case["p"] = float(r.statistic), float(r.pvalue)

byte_samples = [rng.integers(0, 256, 5000), np.minimum(255, np.floor(rng.beta(1.0, 1.08, 5000) * 256)).astype(int)]
out["uniform_bytes"] = []
for s in byte_samples:
    r = st.chisquare(np.bincount(s, minlength=256))
    out["uniform_bytes"].append({"bytes": [int(x) for x in s], "statistic": float(r.statistic), "p": float(r.pvalue)})
# Few bytes: 300 bytes fold into 32 bins (top 5 bits), the harness's rule for ≥ 5 expected per bin.
few = rng.integers(0, 256, 300)
r = st.chisquare(np.bincount(few >> 3, minlength=32))
out["uniform_bytes"].append({"bytes": [int(x) for x in few], "statistic": float(r.statistic), "p": float(r.pvalue), "bins": 32})

p = 557057
out["uniform_mod_p"] = []
for values in [rng.integers(0, p, 4000), rng.integers(0, 2 ** 20, 4000) % p]:  # the second is biased: % p on 20-bit words
    bins, width = 64, -(-p // 64)
    edges = [min(p, i * width) for i in range(bins + 1)]
    probs = np.diff(edges) / p
    counts = np.bincount(values // width, minlength=bins)
    r = st.chisquare(counts, probs * len(values))
    out["uniform_mod_p"].append({"p": p, "bins": bins, "values": [int(v) for v in values], "statistic": float(r.statistic), "pValue": float(r.pvalue)})

# Holm and Bonferroni adjusted p-values (statsmodels.stats.multitest.multipletests).
pv = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 1e-6, 0.04]
out["multiple_testing"] = {"p": pv,
                           "holm": [float(x) for x in multipletests(pv, method="holm")[1]],
                           "bonferroni": [float(x) for x in multipletests(pv, method="bonferroni")[1]]}

# Detectable effects. Chi-square: the exact noncentrality (SciPy's ncx2) reaching the power.
out["chi2_detectable"] = []
for bins, count, alpha, power in [(256, 10000, 1e-3, 0.9), (64, 4000, 1e-4, 0.9), (2, 500, 0.01, 0.8), (16, 300, 1e-3, 0.9)]:
    crit = st.chi2.isf(alpha, bins - 1)
    lam = brentq(lambda l: st.ncx2.sf(crit, bins - 1, l) - power, 1e-6, 1e5)
    out["chi2_detectable"].append({"bins": bins, "count": count, "alpha": alpha, "power": power, "w": float(np.sqrt(lam / count))})
# Welch: the exact power (noncentral t) of the d the harness's formula gives, to check that it delivers.
out["welch_detectable"] = []
for na, nb, alpha, power in [(50, 50, 1e-3, 0.9), (20, 30, 1e-5, 0.9), (200, 200, 1e-6, 0.9)]:
    df = na + nb - 2
    se = np.sqrt(1 / na + 1 / nb)
    d = (st.t.ppf(1 - alpha / 2, df) + st.t.ppf(power, df)) * se
    exact = st.nct.sf(st.t.ppf(1 - alpha / 2, df), df, d / se) + st.nct.cdf(-st.t.ppf(1 - alpha / 2, df), df, d / se)
    out["welch_detectable"].append({"sizes": [na, nb], "alpha": alpha, "power": power, "d": float(d), "exactPower": float(exact)})

with open("stats-references.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
