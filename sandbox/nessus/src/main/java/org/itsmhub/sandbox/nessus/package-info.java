/**
 * The Tenable Nessus REST API sandbox: {@code .nessus} files served as completed scans (scan list with
 * folders, export, export status, download), {@code X-ApiKeys} auth, and a control API under
 * {@code /__sandbox/} that completes new scans.
 */
package org.itsmhub.sandbox.nessus;
