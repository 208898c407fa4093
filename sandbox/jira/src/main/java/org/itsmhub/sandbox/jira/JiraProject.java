package org.itsmhub.sandbox.jira;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One project of the sandbox. Every project is a service project with its own service desk.
 *
 * @param id            project id
 * @param key           project key
 * @param name          project name
 * @param keyPrefix     prefix of new issue keys: the seeded issues' prefix, which the documentation
 *                      examples do not always make equal to the project key ({@code ED-1} in {@code EX})
 * @param issueField    the issue's {@code fields.project} value (a seed's own, kept as seeded)
 * @param serviceDeskId id of its service desk
 */
record JiraProject(String id, String key, String name, String keyPrefix, ObjectNode issueField, String serviceDeskId) {

    /** Whether an issue key, project key or project id names this project. */
    boolean named(String keyOrId) {
        return key.equalsIgnoreCase(keyOrId) || id.equals(keyOrId);
    }
}
