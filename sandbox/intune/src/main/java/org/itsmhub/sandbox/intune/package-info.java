/** The Microsoft Intune sandbox: the identity platform's client-credentials token endpoint and Graph's managedDevices list. */
package org.itsmhub.sandbox.intune;
