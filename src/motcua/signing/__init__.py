"""Signed results: PAdES signatures on issued results, the signers that hold the agencies' keys, the demo
PKI, and the verifier (ADR 0017)."""

import warnings

from cryptography.utils import CryptographyDeprecationWarning

# pyHanko imports cryptography's DSA module, deprecated since cryptography 47, on every start; no key here is
# DSA, so the warning says nothing to whoever runs a command.
warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
