import pytest
from django.core.exceptions import ValidationError

from motcua.org.models import validate_identity_code


@pytest.mark.parametrize("code", ["000.00.00.H26", "000.00.53.H48", "000.A0.01.H26", "000.00.00.G01"])
def test_valid_identity_codes(code):
    validate_identity_code(code)


@pytest.mark.parametrize("code", ["000.00.00.X26", "00.00.00.H26", "000.00.00.h26", "000-00-00-H26", ""])
def test_invalid_identity_codes(code):
    with pytest.raises(ValidationError):
        validate_identity_code(code)
