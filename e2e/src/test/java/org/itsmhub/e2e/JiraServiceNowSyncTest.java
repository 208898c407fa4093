package org.itsmhub.e2e;

/** Issue 5's ticket-sync scenarios between ServiceNow (left) and Jira Service Management (right). */
class JiraServiceNowSyncTest extends TicketSyncPairTest {

    @Override
    TicketDesk newLeft() {
        return TicketDesk.servicenow();
    }

    @Override
    TicketDesk newRight() {
        return TicketDesk.jira();
    }
}
