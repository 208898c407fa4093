/** Tests that keep connector documentation generated from, and true to, the connector's code. */
package org.itsmhub.testkit.docs;
