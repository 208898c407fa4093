/**
 * The canonical model every plugin reads and writes: {@link org.itsmhub.api.model.Ticket} with its
 * {@link org.itsmhub.api.model.Comment}s, {@link org.itsmhub.api.model.Asset},
 * {@link org.itsmhub.api.model.Finding} and the {@link org.itsmhub.api.model.ExternalRef} that links
 * any of them to a vendor record. All types are immutable and validate in their constructors; vendor
 * DTOs never leave their plugin.
 */
package org.itsmhub.api.model;
