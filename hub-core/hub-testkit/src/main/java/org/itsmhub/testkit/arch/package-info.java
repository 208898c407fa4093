/** ArchUnit rules every plugin's tests extend: plugins use hub-api only and never each other. */
package org.itsmhub.testkit.arch;
