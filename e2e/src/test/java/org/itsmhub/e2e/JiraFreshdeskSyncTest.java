package org.itsmhub.e2e;

/** Issue 5's ticket-sync scenarios between Jira Service Management (left) and Freshdesk (right). */
class JiraFreshdeskSyncTest extends TicketSyncPairTest {

    @Override
    TicketDesk newLeft() {
        return TicketDesk.jira();
    }

    @Override
    TicketDesk newRight() {
        return TicketDesk.freshdesk();
    }
}
