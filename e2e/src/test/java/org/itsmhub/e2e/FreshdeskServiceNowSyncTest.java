package org.itsmhub.e2e;

/** Issue 5's ticket-sync scenarios between ServiceNow (left, the MSP's desk) and Freshdesk (right, the customer's). */
class FreshdeskServiceNowSyncTest extends TicketSyncPairTest {

    @Override
    TicketDesk newLeft() {
        return TicketDesk.servicenow();
    }

    @Override
    TicketDesk newRight() {
        return TicketDesk.freshdesk();
    }
}
