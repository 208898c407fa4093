/**
 * Contract tests every connector plugin extends, and what they need: a test
 * {@link org.itsmhub.testkit.contract.TestConnectorContext}, the vendor test data in testdata/, log capture.
 */
package org.itsmhub.testkit.contract;
