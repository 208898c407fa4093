/** The Freshdesk API v2 sandbox: tickets, conversations, filter search, agents/me. */
package org.itsmhub.sandbox.freshdesk;
