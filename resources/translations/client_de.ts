<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
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
