/**
 * A stateful fake of the Jira Cloud platform REST v3 and Jira Service Management API subset that
 * the Jira connector and common Jira clients use: JQL search with token paging, projects, issues,
 * transitions, comments, entity properties, service desks, request types and JSM requests with
 * their comments, with Jira's auth, error bodies, paging and rate-limit headers.
 */
package org.itsmhub.sandbox.jira;
