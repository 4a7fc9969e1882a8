"""LDAP directory client: check passwords and read a person's groups and agency.

Pure ldap3 with no Flask or database imports, so the login view, the admin "what would this
user get" page and the nightly sync share one tested code path.
"""

from __future__ import annotations

import math
import re
import ssl
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from ldap3 import ANONYMOUS, NONE, SIMPLE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import (
    LDAPCertificateError,
    LDAPCommunicationError,
    LDAPException,
    LDAPOperationResult,
    LDAPPasswordIsMandatoryError,
    LDAPResponseTimeoutError,
    LDAPSASLPrepError,
    LDAPStartTLSError,
)
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import parse_dn

GroupMode = Literal["member", "memberUid", "memberOf"]
GROUP_MODES: tuple[str, ...] = ("member", "memberUid", "memberOf")
MAX_USERNAME_LENGTH = 128
UNAVAILABLE_MESSAGE = "目录服务器暂时无法连接，请稍后再试或联系管理员。"

# RFC 4514 escapes: "\" + two hex digits (one UTF-8 byte) or "\" + the character itself.
_DN_ESCAPE = re.compile(rb"\\([0-9A-Fa-f]{2}|.)", re.DOTALL)


class DirectoryError(Exception):
    """A directory operation failed for a reason other than a rejected login."""


class DirectoryUnavailable(DirectoryError):
    """The directory cannot be reached, timed out, failed TLS or refused the service account."""

    def __init__(self, message: str = UNAVAILABLE_MESSAGE) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class DirectoryConfig:
    """Where the directory is and how its entries map onto Minsheng users.

    ``user_filter`` must contain ``{username}``, which is replaced by the escaped login name.
    ``agency_map`` keys are attribute values when ``agency_attribute`` is set, else the DNs of
    the OUs that hold people (matched case-insensitively).
    """

    url: str
    bind_dn: str
    bind_password: str
    user_base: str
    group_base: str
    start_tls: bool = False
    ca_file: str | None = None
    user_filter: str = "(&(objectClass=inetOrgPerson)(uid={username}))"
    all_users_filter: str = "(objectClass=inetOrgPerson)"
    login_attribute: str = "uid"
    name_attribute: str = "cn"
    email_attribute: str = "mail"
    group_mode: GroupMode = "member"
    group_name_attribute: str = "cn"
    agency_attribute: str | None = None
    group_role_map: dict[str, list[str]] = field(default_factory=dict)
    agency_map: dict[str, str] = field(default_factory=dict)
    #: Seconds to connect and to wait for each answer (a whole number for answers: ldap3
    #: packs it into a C long). Short: a silent server holds a worker this long per login.
    timeout: float = 3
    #: Seconds logins skip a directory that did not answer, failing at once (per worker),
    #: so a silent server stalls one login per worker in this time, not every login.
    retry_after: float = 30

    def __post_init__(self) -> None:
        scheme = self.url.split("://", 1)[0].lower()
        if scheme not in ("ldap", "ldaps"):
            raise ValueError(f"LDAP url must start with ldap:// or ldaps://: {self.url!r}")
        if self.start_tls and scheme == "ldaps":
            raise ValueError("start_tls is for ldap:// URLs; ldaps:// is already encrypted")
        if self.group_mode not in GROUP_MODES:
            raise ValueError(f"group_mode must be one of {GROUP_MODES}: {self.group_mode!r}")
        if "{username}" not in self.user_filter:
            raise ValueError("user_filter must contain {username}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DirectoryConfig:
        """Build a config from a plain dict such as the ``[ldap]`` table of the TOML file.

        Keys are matched case-insensitively; keys that are not fields (e.g. ``sync_hour``,
        which belongs to the scheduler) are ignored.
        """
        names = {f.name for f in fields(cls)}
        values = {k.lower(): v for k, v in data.items() if k.lower() in names}
        # A bare string would otherwise be read as a list of one-letter role codes.
        values["group_role_map"] = {
            str(group): [roles] if isinstance(roles, str) else list(roles)
            for group, roles in values.get("group_role_map", {}).items()
        }
        values["agency_map"] = {str(k): str(v) for k, v in values.get("agency_map", {}).items()}
        return cls(**values)


@dataclass
class DirectoryUser:
    """A person as the directory describes them, with groups mapped to Minsheng codes.

    ``username`` is the directory's own spelling of the login attribute, which may differ in
    case from what was typed.
    """

    username: str
    dn: str
    display_name: str
    email: str | None
    groups: list[str] = field(default_factory=list)
    agency_key: str | None = None
    roles: list[str] = field(default_factory=list)
    agency_code: str | None = None


def normalize_dn(dn: str) -> str:
    """Return ``dn`` lower-cased with the spaces around its separators removed."""
    return _join_dn(parse_dn(dn, strip=True))


def parent_dn(dn: str) -> str:
    """Return the normalised DN of the entry that contains ``dn`` ("" for a top entry)."""
    parts = parse_dn(dn, strip=True)
    # A multi-valued RDN ("cn=a+uid=b,...") spans several parts joined by "+".
    rdn_end = next(i for i, (_, _, sep) in enumerate(parts) if sep != "+") + 1
    return _join_dn(parts[rdn_end:])


def _join_dn(parts: list[tuple[str, str, str]]) -> str:
    return "".join(f"{attr.lower()}={value.lower()}{sep}" for attr, value, sep in parts)


def _unescape_dn_value(value: str) -> str:
    def unescape(match: re.Match[bytes]) -> bytes:
        escaped = match.group(1)
        return bytes.fromhex(escaped.decode()) if len(escaped) == 2 else escaped

    return _DN_ESCAPE.sub(unescape, value.encode()).decode("utf-8", "replace")


def _clean_username(username: str) -> str | None:
    """Return the login name to search for, or None when it can never be valid."""
    if any(unicodedata.category(ch) == "Cc" for ch in username):  # NUL, newlines, DEL...
        return None
    username = username.strip()
    if not username or len(username) > MAX_USERNAME_LENGTH:
        return None
    return username


def _first(attributes: Mapping[str, Any], name: str | None) -> str | None:
    if not name:
        return None
    values = attributes.get(name) or []
    if isinstance(values, str):  # ldap3 returns a bare value when it knows the schema
        values = [values]
    if not values:
        return None
    return str(values[0]).strip() or None


def _close(conn: Connection) -> None:
    # The outcome is already decided: a failing unbind must not turn it into an error.
    with suppress(LDAPException):
        if not conn.closed:
            conn.unbind()
    # ldap3 leaves the socket of a failed connect() open.
    if conn.socket is not None:
        conn.socket.close()


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except (
        LDAPCommunicationError,
        LDAPStartTLSError,
        LDAPCertificateError,
        LDAPResponseTimeoutError,
    ) as exc:
        raise DirectoryUnavailable() from exc
    except LDAPException as exc:
        raise DirectoryError(f"目录查询失败：{exc}") from exc


#: Until when (``time.monotonic()``) each directory URL is skipped after it failed to answer.
_down_until: dict[str, float] = {}


def forget_outages() -> None:
    """Try every directory again at the next login (tests)."""
    _down_until.clear()


class DirectoryClient:
    """Talks to one LDAP directory; every call opens and closes its own connections.

    Connections are not pooled: logins are rare and the nightly sync is a single call.
    """

    page_size = 500

    def __init__(self, config: DirectoryConfig) -> None:
        self.config = config
        use_ssl = config.url.lower().startswith("ldaps")
        tls = None
        if config.ca_file or config.start_tls or use_ssl:
            tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=config.ca_file)
        # ldap3 2.9.1 packs receive_timeout into a C long on Linux: a float raises struct.error.
        self._receive_timeout = max(1, math.ceil(config.timeout))
        # ldap3 reads the "/" of "ldap://host:389/" as part of the port.
        self._server = Server(
            config.url.rstrip("/"),
            get_info=NONE,
            connect_timeout=config.timeout,
            use_ssl=use_ssl,
            tls=tls,
        )
        self._roles = {group.casefold(): roles for group, roles in config.group_role_map.items()}
        if config.agency_attribute:
            self._agencies = dict(config.agency_map)
        else:
            self._agencies = {normalize_dn(dn): code for dn, code in config.agency_map.items()}

    def _check_reachable(self) -> None:
        if time.monotonic() < _down_until.get(self.config.url, 0.0):
            raise DirectoryUnavailable()

    @contextmanager
    def _noting_outages(self) -> Iterator[None]:
        try:
            yield
        except DirectoryUnavailable as exc:
            # Only silence or a dropped connection: a refused service account or a failed
            # StartTLS answer at once, and the next login should say so again.
            if isinstance(exc.__cause__, LDAPCommunicationError | LDAPResponseTimeoutError):
                _down_until[self.config.url] = time.monotonic() + self.config.retry_after
            raise
        else:
            _down_until.pop(self.config.url, None)

    def authenticate(self, username: str, password: str) -> DirectoryUser | None:
        """Check a login against the directory.

        Returns:
            The user when exactly one entry matches ``username`` and ``password`` binds as it,
            else None (unknown user, ambiguous user, wrong or empty password).

        Raises:
            DirectoryUnavailable: The directory is down, slow, or refuses the service account.
            DirectoryError: Any other directory failure.

        """
        name = _clean_username(username)
        # An empty password would make an "unauthenticated bind" that many servers accept.
        if name is None or not password or not password.strip():
            return None
        self._check_reachable()
        with self._noting_outages(), _translate_errors(), self._service_connection() as conn:
            entry = self._find_user(conn, name)
            if entry is None or not self._password_matches(entry["dn"], password):
                return None
            return self._to_user(conn, entry)

    def lookup(self, username: str) -> DirectoryUser | None:
        """Return what the directory says about ``username`` without checking a password.

        Raises:
            DirectoryUnavailable: The directory is down, slow, or refuses the service account.
            DirectoryError: Any other directory failure.

        """
        name = _clean_username(username)
        if name is None:
            return None
        with _translate_errors(), self._service_connection() as conn:
            entry = self._find_user(conn, name)
            return None if entry is None else self._to_user(conn, entry)

    def all_users(self) -> list[DirectoryUser]:
        """Return every person matching ``all_users_filter``, sorted by username.

        Raises:
            DirectoryUnavailable: The directory is down, slow, or refuses the service account.
            DirectoryError: Any other directory failure.

        """
        with _translate_errors(), self._service_connection() as conn:
            # Accumulate all pages first: the group searches below reuse the connection.
            entries = conn.extend.standard.paged_search(
                self.config.user_base,
                self.config.all_users_filter,
                SUBTREE,
                attributes=self._user_attributes(),
                paged_size=self.page_size,
                generator=False,
            )
            users = [
                self._to_user(conn, entry)
                for entry in entries
                if entry["type"] == "searchResEntry"
                and _first(entry["attributes"], self.config.login_attribute)
            ]
        return sorted(users, key=lambda user: user.username)

    @contextmanager
    def _service_connection(self) -> Iterator[Connection]:
        cfg = self.config
        conn = Connection(
            self._server,
            user=cfg.bind_dn or None,
            password=cfg.bind_password or None,
            authentication=SIMPLE if cfg.bind_dn else ANONYMOUS,
            read_only=True,
            receive_timeout=self._receive_timeout,
            raise_exceptions=True,
            auto_referrals=False,
        )
        try:
            self._open(conn)
            try:
                conn.bind()
            except LDAPOperationResult as exc:  # wrong service password, account locked...
                raise DirectoryUnavailable() from exc
            yield conn
        finally:
            _close(conn)

    def _open(self, conn: Connection) -> None:
        conn.open()
        if not self.config.start_tls:
            return
        # Never fall back to sending passwords in clear text when StartTLS fails.
        try:
            started = conn.start_tls(read_server_info=False)
        except LDAPException as exc:  # e.g. protocolError from a server without TLS
            raise DirectoryUnavailable() from exc
        if not started:
            raise DirectoryUnavailable()

    def _password_matches(self, dn: str, password: str) -> bool:
        conn = Connection(
            self._server,
            user=dn,
            password=password,
            authentication=SIMPLE,
            read_only=True,
            receive_timeout=self._receive_timeout,
            raise_exceptions=False,
            auto_referrals=False,
        )
        try:
            self._open(conn)
            return bool(conn.bind())  # False, not an exception, on a wrong password
        except (LDAPPasswordIsMandatoryError, LDAPSASLPrepError):
            return False  # characters SASLprep forbids cannot be in any valid password
        finally:
            _close(conn)

    def _user_attributes(self) -> list[str]:
        cfg = self.config
        attrs = [cfg.login_attribute, cfg.name_attribute, cfg.email_attribute]
        if cfg.agency_attribute:
            attrs.append(cfg.agency_attribute)
        if cfg.group_mode == "memberOf":
            attrs.append("memberOf")  # operational with the memberof overlay: ask for it
        return attrs

    def _find_user(self, conn: Connection, username: str) -> dict[str, Any] | None:
        # str.replace, not format(): a filter may legitimately contain other braces.
        search_filter = self.config.user_filter.replace("{username}", escape_filter_chars(username))
        # Two results are enough to know the name is ambiguous.
        conn.search(
            self.config.user_base,
            search_filter,
            SUBTREE,
            attributes=self._user_attributes(),
            size_limit=2,
        )
        entries = [e for e in conn.response or [] if e["type"] == "searchResEntry"]
        return entries[0] if len(entries) == 1 else None

    def _groups(self, conn: Connection, dn: str, attributes: Mapping[str, Any]) -> list[str]:
        cfg = self.config
        if cfg.group_mode == "memberOf":
            names = []
            for group_dn in attributes.get("memberOf") or []:
                attr, value, _ = parse_dn(group_dn)[0]
                if attr.lower() == cfg.group_name_attribute.lower():
                    names.append(_unescape_dn_value(value))
            return sorted(set(names))
        if cfg.group_mode == "member":
            search_filter = f"(&(objectClass=groupOfNames)(member={escape_filter_chars(dn)}))"
        else:
            uid = _first(attributes, cfg.login_attribute) or ""
            search_filter = f"(&(objectClass=posixGroup)(memberUid={escape_filter_chars(uid)}))"
        conn.search(cfg.group_base, search_filter, SUBTREE, attributes=[cfg.group_name_attribute])
        found = (
            _first(e["attributes"], cfg.group_name_attribute)
            for e in conn.response or []
            if e["type"] == "searchResEntry"
        )
        return sorted({name for name in found if name})

    def _to_user(self, conn: Connection, entry: Mapping[str, Any]) -> DirectoryUser:
        cfg = self.config
        attrs = entry["attributes"]
        dn = entry["dn"]
        username = _first(attrs, cfg.login_attribute) or ""
        groups = self._groups(conn, dn, attrs)
        if cfg.agency_attribute:
            agency_key = _first(attrs, cfg.agency_attribute)
        else:
            agency_key = parent_dn(dn) or None
        roles = {role for group in groups for role in self._roles.get(group.casefold(), [])}
        return DirectoryUser(
            username=username,
            dn=dn,
            display_name=_first(attrs, cfg.name_attribute) or username,
            email=_first(attrs, cfg.email_attribute),
            groups=groups,
            agency_key=agency_key,
            roles=sorted(roles),
            agency_code=self._agencies.get(agency_key) if agency_key else None,
        )
