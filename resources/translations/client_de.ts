<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ClientWindow</name>
    <message>
        <source>Send the message (in the message field)</source>
        <translation>Nachricht senden (im Nachrichtenfeld)</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <source>Go to the message field</source>
        <translation>Zum Nachrichtenfeld</translation>
    </message>
    <message>
        <source>Next conversation</source>
        <translation>Nächste Unterhaltung</translation>
    </message>
    <message>
        <source>Previous conversation</source>
        <translation>Vorige Unterhaltung</translation>
    </message>
    <message>
        <source>Find, join or create a room (Rooms…)</source>
        <translation>Raum suchen, betreten oder anlegen (Räume…)</translation>
    </message>
    <message>
        <source>Ask the server who has connected (Status)</source>
        <translation>Den Server fragen, wer verbunden war (Status)</translation>
    </message>
    <message>
        <source>Leave the chat, or stop reconnecting (Exit); the window stays open</source>
        <translation>Chat verlassen oder erneutes Verbinden abbrechen (Verlassen); das Fenster bleibt offen</translation>
    </message>
    <message>
        <source>Leave the chat and close the window</source>
        <translation>Chat verlassen und Fenster schließen</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>LAN Chat</source>
        <translation>LAN Chat</translation>
    </message>
    <message>
        <source>LAN Chat: %n unread</source>
        <translation>LAN Chat: %n ungelesen</translation>
    </message>
</context>
<context>
    <name>RoomQuestions</name>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <source>press Reconnect to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent yet: it goes out once you press Reconnect.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
