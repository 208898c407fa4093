/**
 * A stateful fake of the Jira Cloud platform REST v3 and Jira Service Management API subset that
 * the Jira connector uses: JQL search with token paging, issues, transitions, comments, entity
 * properties and JSM requests, with Jira's auth, error bodies and rate-limit headers.
 */
package org.itsmhub.sandbox.jira;
