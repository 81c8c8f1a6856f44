"""
IAM's evaluation of a statement's Condition block against a request context, for the emulator.

Sources (AWS IAM User Guide):
- condition operators, and what a key missing from the request does to each:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
  "If the key that you specify in a policy condition is not present in the request context, the
  values do not match and the condition is false. If the policy condition requires that the key is
  not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition
  is true. This logic applies to all condition operators except ...IfExists and Null check."
- several operators, keys and values (AND across operators and keys, OR across the values of one
  key, NOR for a negated operator):
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
- condition key names are not case-sensitive:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
- multi-valued keys (kms:ResourceAliases, say) and the set operators: ForAnyValue holds when at
  least one value of the request matches one of the policy's, and is false when the key is missing;
  ForAllValues holds when every value of the request matches one of the policy's, and is true when
  the key is missing or empty:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
- policy variables (`${aws:PrincipalAccount}`) are replaced with the request's value, in condition
  values and in the Resource element; `${*}`, `${?}` and `${$}` stand for the literal characters;
  "If AWS cannot resolve a variable this might cause the entire statement to be invalid":
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

An operator this module does not implement raises UnsupportedConditionOperator, naming it: treating
it as unmet would make a Deny statement vanish, and treating it as met would invent one.
"""

import ipaddress
import re


class UnresolvedVariable(Exception):
    """A policy variable the request does not carry: the statement it is in does not apply."""


_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LITERALS = {"*": "*", "?": "?", "$": "$"}


def substitute(text, context, escape=lambda literal: literal):
    """
    `text` with each policy variable replaced by the request's value. `escape` is applied to the
    replaced values and the literal characters, so a caller matching wildcards can keep them literal.
    """

    def value(match):
        name = match.group(1)
        if name in _LITERALS:
            return escape(_LITERALS[name])
        found = _lookup(context, name)
        if found is None or isinstance(found, list):
            raise UnresolvedVariable(name)
        return escape(str(found))

    return _VARIABLE.sub(value, text)


class UnsupportedConditionOperator(Exception):
    """A condition operator the emulator cannot evaluate: the run must stop and name it."""

    def __init__(self, operator):
        super().__init__(f"condition operator {operator!r} is not implemented by the emulator (iam_conditions.py)")
        self.operator = operator


def wildcard_regex(pattern):
    """IAM's `*` (any run of characters) and `?` (one character); nothing else is special."""
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def _wildcard(pattern, value, ignore_case=False):
    regex = wildcard_regex(pattern)
    return re.fullmatch(regex, value, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


def _arn_like(pattern, value):
    """
    ArnEquals and ArnLike alike: each of the six colon-separated parts is matched on its own, and
    each may hold `*` and `?` (the Amazon Resource Name (ARN) condition operators section).
    """
    expected, actual = pattern.split(":", 5), value.split(":", 5)
    return len(expected) == len(actual) == 6 and all(_wildcard(e, a) for e, a in zip(expected, actual))


def _number(text):
    return float(text)


def _in_network(network, address):
    return ipaddress.ip_address(address) in ipaddress.ip_network(network, strict=False)


# Each positive operator: does the request's value match one policy value?
_POSITIVE = {
    "StringEquals": lambda expected, actual: actual == expected,
    "StringEqualsIgnoreCase": lambda expected, actual: actual.lower() == expected.lower(),
    "StringLike": _wildcard,
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
    "Bool": lambda expected, actual: actual.lower() == expected.lower(),
    "NumericEquals": lambda expected, actual: _number(actual) == _number(expected),
    "NumericLessThan": lambda expected, actual: _number(actual) < _number(expected),
    "NumericLessThanEquals": lambda expected, actual: _number(actual) <= _number(expected),
    "NumericGreaterThan": lambda expected, actual: _number(actual) > _number(expected),
    "NumericGreaterThanEquals": lambda expected, actual: _number(actual) >= _number(expected),
    "IpAddress": _in_network,
}

# Each negated operator and the positive one it negates: true when no policy value matches.
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
    "NotIpAddress": "IpAddress",
}


def _lookup(context, key):
    return next((v for k, v in context.items() if k.lower() == key.lower()), None)


def _values(expected):
    return [str(v) for v in (expected if isinstance(expected, list) else [expected])]


def _single_met(base, expected, actual):
    """A positive operator: does the request's value match one of the policy's values?"""
    matcher = _POSITIVE.get(base)
    if matcher is None:
        raise UnsupportedConditionOperator(base)
    return any(matcher(value, str(actual)) for value in expected)


def _pair_met(operator, key, expected, context):
    """One operator and one key of a Condition block, against the request context."""
    qualifier, _, operator_name = operator.rpartition(":")
    if qualifier not in ("", "ForAnyValue", "ForAllValues"):
        raise UnsupportedConditionOperator(operator)
    base = operator_name.removesuffix("IfExists") if operator_name != "Null" else operator_name
    if_exists = base != operator_name
    if base == "Null" and not if_exists and not qualifier:
        # Null: true means the key must be absent, false that it must be present.
        wanted_absent = _values(expected)[0].lower() == "true"
        return (_lookup(context, key) is None) == wanted_absent
    negated = base in _NEGATED
    positive = _NEGATED.get(base, base)
    if positive not in _POSITIVE:
        raise UnsupportedConditionOperator(operator)
    try:
        values = [substitute(v, context) for v in _values(expected)]
    except UnresolvedVariable:
        return False
    actual = _lookup(context, key)
    if qualifier:
        requested = [] if actual is None else actual if isinstance(actual, list) else [actual]
        matches = [_single_met(positive, values, one) != negated for one in requested]
        if qualifier == "ForAnyValue":
            return any(matches)
        return all(matches)
    if actual is None:
        # ...IfExists: a key that is not present makes the condition true; so does a negated operator
        # (the operators page's note quoted above). Every other operator is false.
        return if_exists or negated
    if isinstance(actual, list):
        # A multi-valued key needs a set operator; IAM compares no single value with a set.
        return negated
    matched = _single_met(positive, values, actual)
    return not matched if negated else matched


def condition_met(condition, context):
    """
    Whether a statement's whole Condition block holds for the request context (AND of every pair).
    Every pair is evaluated, so an unsupported operator fails even after an unmet one.
    """
    results = [
        _pair_met(operator, key, expected, context)
        for operator, pairs in condition.items()
        for key, expected in pairs.items()
    ]
    return all(results)
