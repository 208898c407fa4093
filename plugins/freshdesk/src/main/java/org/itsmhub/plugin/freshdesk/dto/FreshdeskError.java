package org.itsmhub.plugin.freshdesk.dto;

import java.util.List;

/**
 * Freshdesk's error envelope (https://developers.freshdesk.com/api/#error): validation errors carry
 * {@code description} and {@code errors}; authentication and other errors {@code code} and {@code message}.
 */
public record FreshdeskError(String description, List<FieldError> errors, String code, String message) {

    public record FieldError(String field, String message, String code) {
    }
}
