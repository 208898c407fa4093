/**
 * {@code itsm-hub demo}: the whole product on the vendor sandboxes in one process, for a first look.
 * {@link org.itsmhub.demo.DemoScenario} generates the MSP and its changes over time;
 * {@link org.itsmhub.demo.DemoCommand} runs the hub on the bundled {@code config/demo.yaml}.
 */
package org.itsmhub.demo;
