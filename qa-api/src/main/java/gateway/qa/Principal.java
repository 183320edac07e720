package gateway.qa;

/**
 * Who a request comes from, as the audit log names it: a configured token's name, {@value #LOOPBACK} (no token is
 * configured and the client is on this machine), or a share link ({@code share}: the one call it opens, else null).
 */
record Principal(String name, ApiRole role, String share) {

    static final String LOOPBACK = "loopback";
    /** The page's own files asked for without a token: no call data, no name. */
    static final Principal ANONYMOUS = new Principal("anonymous", ApiRole.VIEWER, null);

    static Principal token(String name, ApiRole role) {
        return new Principal(name, role, null);
    }

    boolean admin() {
        return role == ApiRole.ADMIN && share == null;
    }

    /** Whether the request came with a share link rather than a token. */
    boolean shared() {
        return share != null;
    }
}
