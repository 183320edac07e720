package gateway.sip;

import gov.nist.javax.sip.address.SipUri;
import gov.nist.javax.sip.header.RecordRoute;
import gov.nist.javax.sip.header.Route;
import gov.nist.javax.sip.message.SIPRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.sip.address.Address;
import javax.sip.header.ContactHeader;

/**
 * The UAS side of a dialog (RFC 3261 §12): its id, the parties, both CSeq counters, the remote target and the
 * route set, which is fixed when the dialog is created (§12.1.1). Used on the SIP event loop only.
 */
final class Dialog {

    /** Port of a SIP URI without one (RFC 3261 §19.1.2, UDP and TCP). */
    static final int DEFAULT_SIP_PORT = 5060;

    private final DialogId id;
    private final Address localParty;
    private final Address remoteParty;
    private final List<Route> routeSet;
    private SipUri remoteTarget;
    private long remoteCseq;
    private long localCseq;

    private Dialog(DialogId id, Address localParty, Address remoteParty, List<Route> routeSet, SipUri remoteTarget,
                   long remoteCseq) {
        this.id = id;
        this.localParty = localParty;
        this.remoteParty = remoteParty;
        this.routeSet = routeSet;
        this.remoteTarget = remoteTarget;
        this.remoteCseq = remoteCseq;
    }

    /**
     * The dialog a UAS creates by answering {@code invite} with To-tag {@code localTag} (§12.1.1): remote target
     * from the Contact, route set from Record-Route in order, remote CSeq from the INVITE, local CSeq empty.
     * Null when the INVITE names no SIP remote target.
     */
    static Dialog fromInvite(SIPRequest invite, String localTag) {
        SipUri target = initialTarget(invite);
        if (target == null) {
            return null;
        }
        DialogId id = new DialogId(invite.getCallId().getCallId(), localTag, invite.getFrom().getTag());
        return new Dialog(id, (Address) invite.getTo().getAddress().clone(),
                (Address) invite.getFrom().getAddress().clone(), routeSet(invite), (SipUri) target.clone(),
                invite.getCSeq().getSeqNumber());
    }

    /**
     * The remote target an INVITE names: its Contact URI (§12.1.1); an RFC 2543 INVITE without Contact falls back
     * to its From URI (RFC 2543 §6.13). Null when neither is a SIP URI.
     */
    static SipUri initialTarget(SIPRequest invite) {
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        if (contact != null) {
            return contact.getAddress().getURI() instanceof SipUri uri ? uri : null;
        }
        return invite.getFrom().getAddress().getURI() instanceof SipUri from ? from : null;
    }

    private static List<Route> routeSet(SIPRequest invite) {
        List<Route> routes = new ArrayList<>();
        if (invite.getRecordRouteHeaders() == null) {
            return List.of();
        }
        for (Iterator<?> it = invite.getRecordRouteHeaders().iterator(); it.hasNext(); ) {
            RecordRoute recordRoute = (RecordRoute) it.next();
            Route route = new Route();
            route.setAddress((Address) recordRoute.getAddress().clone());
            for (Iterator<?> names = recordRoute.getParameterNames(); names.hasNext(); ) {
                String name = (String) names.next();
                try {
                    route.setParameter(name, recordRoute.getParameter(name));
                } catch (ParseException e) {
                    throw new IllegalStateException("parameter of a parsed Record-Route", e);
                }
            }
            routes.add(route);
        }
        return List.copyOf(routes);
    }

    DialogId id() {
        return id;
    }

    /** Our party (the To of the INVITE), for the From of our requests. */
    Address localParty() {
        return localParty;
    }

    /** The remote party (the From of the INVITE), for the To of our requests. */
    Address remoteParty() {
        return remoteParty;
    }

    /** The route set, in the order our requests carry it as Route headers (§12.2.1.1). */
    List<Route> routeSet() {
        return routeSet;
    }

    SipUri remoteTarget() {
        return remoteTarget;
    }

    /**
     * Takes the CSeq of a request from the remote (§12.2.2): false (answer 500) when it is lower than the last one,
     * as a request out of order.
     */
    boolean acceptRemoteCseq(long cseq) {
        if (cseq < remoteCseq) {
            return false;
        }
        remoteCseq = cseq;
        return true;
    }

    /**
     * A target refresh we accepted (re-INVITE, UPDATE): its Contact replaces the remote target
     * (§12.2.2, RFC 3311 §5.2).
     */
    void refreshTarget(SIPRequest request) {
        ContactHeader contact = (ContactHeader) request.getHeader(ContactHeader.NAME);
        if (contact != null && contact.getAddress().getURI() instanceof SipUri uri) {
            remoteTarget = (SipUri) uri.clone();
        }
    }

    /** The CSeq of our next request (§12.2.1.1): the local counter starts at 1 and goes up by one. */
    long nextLocalCseq() {
        return ++localCseq;
    }

    /**
     * Where our requests go (§12.2.1.1 with loose routing, §8.1.2): the first Route, else the remote target.
     *
     * @param address   an IP literal with the URI's port or the default one (5061 for sips: or transport=tls, else
     *                  5060); null for a host name, which would need a DNS lookup
     * @param transport the transport the URI names (sips: is TLS, RFC 3261 §26.2.2), null when it names none
     */
    record NextHop(InetSocketAddress address, Transport transport) {
    }

    /**
     * The next hop of our requests. With no route set, a remote target at a private address (RFC 1918, RFC 4193, or
     * shared CGN space) while the remote's requests come from {@code lastSource} at a public one is a phone behind a
     * NAT whose Contact we cannot reach: its requests' source is used instead (as for responses, RFC 3581).
     */
    NextHop nextHop(InetSocketAddress lastSource) {
        javax.sip.address.URI next = routeSet.isEmpty() ? remoteTarget : routeSet.get(0).getAddress().getURI();
        if (!(next instanceof SipUri uri)) {
            return null;
        }
        Transport transport = uri.isSecure() ? Transport.TLS : Transport.ofUriParameter(uri.getTransportParam());
        InetAddress address = IpLiterals.parse(uri.getHost());
        if (address == null) {
            return new NextHop(null, transport);
        }
        if (routeSet.isEmpty() && lastSource != null && PrivateAddresses.isPrivate(address)
                && !PrivateAddresses.isPrivate(lastSource.getAddress())) {
            return new NextHop(lastSource, transport);
        }
        return new NextHop(new InetSocketAddress(address, uri.getPort() > 0 ? uri.getPort()
                : transport == Transport.TLS ? SipTls.DEFAULT_PORT : DEFAULT_SIP_PORT), transport);
    }
}
