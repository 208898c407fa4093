package org.itsmhub.plugin.support.http;

import java.io.IOException;

import org.itsmhub.api.error.ConnectorException;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends one request and hands a successful response to a reader; every failure comes out
 * classified. The response is always closed.
 */
public final class HttpExecutor {

    /** Reads a 2xx response. May throw the hub's exceptions (e.g. for a malformed body). */
    @FunctionalInterface
    public interface ResponseReader<T> {
        T read(Response response) throws IOException;
    }

    private final OkHttpClient client;
    private final HttpErrorClassifier classifier;

    public HttpExecutor(OkHttpClient client, HttpErrorClassifier classifier) {
        this.client = client;
        this.classifier = classifier;
    }

    public OkHttpClient client() {
        return client;
    }

    public HttpErrorClassifier classifier() {
        return classifier;
    }

    /**
     * Executes the request.
     *
     * @param operation what this call does, for error messages (e.g. {@code "list tickets"})
     */
    public <T> T execute(String operation, Request request, ResponseReader<T> reader) {
        try (Response response = client.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                ResponseBody body = response.body();
                String text = body == null ? "" : body.string();
                throw classifier.classify(operation, response.code(), response.headers(), text);
            }
            return reader.read(response);
        } catch (ConnectorException e) {
            throw e;
        } catch (IOException e) {
            throw classifier.io(operation, e);
        }
    }
}
